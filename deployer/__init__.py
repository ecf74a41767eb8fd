import os

# deployer forks only to exec a program (CUE, local servers) or to compute and exit (deployer/forked.py),
# never to use gRPC in the child. gRPC's fork support would restart its poller in such a child, whose
# epoll descriptor Popen has closed: the child logs EBADF into the output deployer reads, or dies before
# its exec (https://github.com/grpc/grpc/issues/43055). Set before any module loads gRPC.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "0")
