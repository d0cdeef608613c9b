"""Side-by-side timings of numtorch and torch on the tutorials' workloads.

    python benchmarks/bench.py                  # every quick workload, default threads
    python benchmarks/bench.py --threads-list 1,default --openblas-unset --markdown
    python benchmarks/bench.py --only op_1 linreg --repeat 3 --json out.json
    python benchmarks/bench.py --only mlp_epoch mlp_epoch_adam   # slow: named only

The same as ``numtorch bench`` (``--help`` lists the options and the workloads); the harness
lives in ``src/numtorch/_bench/`` so the installed command works without this checkout.
This script also runs from a checkout that is not installed.
"""

import os
import sys

try:
    from numtorch._bench.cli import main
except ImportError:  # numtorch not installed: the checkout's own copy
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    from numtorch._bench.cli import main

if __name__ == "__main__":
    sys.exit(main(prog=f"python {sys.argv[0]}"))
