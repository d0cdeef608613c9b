"""Data-parallel training of PyTorch's quickstart MLP on FashionMNIST, with DDP.

    numtorch run --nproc-per-node 2 examples/ddp_fashion_mnist.py [--epochs 2] [--limit N]

An ordinary PyTorch DDP program (it runs under torchrun too): every rank trains a replica of
the model on its own share of each epoch (DistributedSampler), DistributedDataParallel averages
the gradients during backward, so all replicas take the same SGD steps. Rank 0 prints the
train loss (mean over all ranks), the test accuracy (counted on all ranks, summed with
all_reduce) and the epoch's training time. The batch size is per rank, as in torch: with 2
ranks each step sees 2 x 64 images.

The data is read from ./data/FashionMNIST/raw, or from the system copy that numtorch's
datasets find (Debian's dataset-fashion-mnist package); nothing is downloaded.
"""

import argparse
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Subset
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms


class NeuralNetwork(nn.Module):
    """PyTorch's quickstart MLP."""

    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512), nn.ReLU(),
            nn.Linear(512, 512), nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64, help="per rank")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N training and N test images")
    parser.add_argument("--data", default="data")
    parser.add_argument("--no-eval", action="store_true", help="skip the test-set evaluation")
    return parser.parse_args()


def load(args, train):
    data = datasets.FashionMNIST(args.data, train=train, download=False,
                                 transform=transforms.ToTensor())
    if args.limit is not None:
        data = Subset(data, range(min(args.limit, len(data))))
    return data


def train_epoch(model, loader, loss_fn, optimizer):
    model.train()
    total, batches = torch.zeros(2, dtype=torch.float64), 0
    for x, y in loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()  # DDP averages the gradients over the ranks here
        optimizer.step()
        total += torch.tensor([loss.item(), 1.0], dtype=torch.float64)
        batches += 1
    dist.all_reduce(total)
    return (total[0] / total[1]).item()


def evaluate(model, loader):
    model.eval()
    counts = torch.zeros(2, dtype=torch.int64)  # correct, seen
    with torch.no_grad():
        for x, y in loader:
            counts += torch.tensor([(model(x).argmax(1) == y).sum().item(), len(y)])
    dist.all_reduce(counts)
    return counts[0].item() / counts[1].item()


def main():
    args = parse_args()
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    train_data, test_data = load(args, True), load(args, False)
    sampler = DistributedSampler(train_data, shuffle=True, seed=0)
    train_loader = DataLoader(train_data, batch_size=args.batch_size, sampler=sampler)
    test_loader = DataLoader(test_data, batch_size=256,
                             sampler=DistributedSampler(test_data, shuffle=False))
    model = DDP(NeuralNetwork())  # copies rank 0's initial weights to every rank
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    if rank == 0:
        print(f"{world} ranks, {len(sampler)} training images per rank per epoch")
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)  # a new shuffle, the same on every rank
        dist.barrier()
        start = time.perf_counter()
        loss = train_epoch(model, train_loader, loss_fn, optimizer)
        seconds = time.perf_counter() - start
        accuracy = None if args.no_eval else evaluate(model, test_loader)
        if rank == 0:
            shown = "" if accuracy is None else f", test accuracy {100 * accuracy:.1f}%"
            print(f"epoch {epoch}: train loss {loss:.4f}{shown}, train time {seconds:.2f} s",
                  flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
