"""Self-supervised branches with trainable parts, trained beside a recognizer's head."""
from .arrow_of_time_branch import ArrowOfTimeBranch
from .base_ssl_branch import BaseSSLBranch
from .cycle_consistency_branch import CycleConsistencyBranch

__all__ = ['BaseSSLBranch', 'ArrowOfTimeBranch', 'CycleConsistencyBranch']
