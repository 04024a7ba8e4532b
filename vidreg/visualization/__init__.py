"""Pictures of data for people: colour-coded optical flow."""
from .flow_colors import flow_to_rgb

__all__ = ['flow_to_rgb']
