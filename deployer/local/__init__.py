"""`deployer dev`: a `local` environment's infrastructure as real servers on this machine."""
