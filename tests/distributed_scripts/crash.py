"""A job where rank 1 fails (run by tests/test_distributed.py): the job must end, non-zero.

    numtorch run --nproc-per-node N crash.py MODE

MODE: raise (an exception after init_process_group), early (an exception before it), sysexit
(sys.exit(4)), exit (os._exit(3)), kill (SIGKILL), hang (rank 1 never joins the collective:
the others' watchdog, 3 s here, must end the job). The other ranks wait in an all_reduce that
rank 1 never joins; the process group's timeout is long unless MODE is hang, so the job can
only end quickly through the failure itself.
"""

import os
import signal
import sys
import time
from datetime import timedelta

import torch
import torch.distributed as dist

mode = sys.argv[1]
if mode == "early" and os.environ["RANK"] == "1":
    raise ValueError("rank 1 failed before init_process_group")
dist.init_process_group("gloo", timeout=timedelta(seconds=3 if mode == "hang" else 600))
if dist.get_rank() == 1:
    time.sleep(0.5)  # let the others reach the collective first
    if mode == "raise":
        raise ValueError("rank 1 failed on purpose")
    if mode == "sysexit":
        sys.exit(4)
    if mode == "exit":
        os._exit(3)
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "hang":
        time.sleep(600)
t = torch.ones(3)
dist.all_reduce(t)
print(f"rank {dist.get_rank()} finished")
