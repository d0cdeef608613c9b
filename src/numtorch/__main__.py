"""``python -m numtorch``: the same as the ``numtorch`` command."""

import sys

from numtorch.cli import main

if __name__ == "__main__":
    sys.exit(main())
