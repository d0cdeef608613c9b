"""Linear regression from scratch, after d2l.ai ("Linear Regression Implementation from Scratch").

A plain PyTorch program: it runs on real PyTorch (`python linear_regression.py`) and, unchanged,
on numtorch (`numtorch run linear_regression.py`). It makes a synthetic data set
y = Xw + b + noise, then fits w and b by minibatch SGD on the squared loss, with the gradients
from autograd and the update written out by hand.
"""

import random

import torch


def synthetic_data(w, b, num_examples):
    """Features X ~ N(0, 1) and labels y = Xw + b + N(0, 0.01) noise, as a column."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Yield the examples in random order, batch_size at a time."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The model: a linear map plus a bias."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Half the squared error, per example."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """One step of minibatch SGD, in place; the losses were summed, so divide by batch_size."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def main():
    torch.manual_seed(0)
    random.seed(0)

    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, 1000)

    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr, num_epochs, batch_size = 0.03, 3, 10

    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            loss = squared_loss(linreg(X, w, b), y)
            loss.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_loss = squared_loss(linreg(features, w, b), labels)
            print(f"epoch {epoch + 1}, loss {float(train_loss.mean()):f}")

    with torch.no_grad():
        print(f"error in estimating w: {true_w - w.reshape(true_w.shape)}")
        print(f"error in estimating b: {true_b - b}")


if __name__ == "__main__":
    main()
