"""``python -m numtorch._bench``: the same as ``numtorch bench``."""

import sys

from numtorch._bench.cli import main

sys.exit(main())
