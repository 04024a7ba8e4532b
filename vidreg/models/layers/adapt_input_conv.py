"""Adapt a pretrained first convolution to another number of input channels."""
from typing import Dict

from torch import Tensor


def adapt_input_conv(state_dict: Dict[str, Tensor], key: str,
                     in_channels: int) -> Dict[str, Tensor]:
    """Give the convolution weight ``state_dict[key]`` ``in_channels`` input channels.

    The cross-modality initialisation of TSN (Wang et al., ECCV 2016) for flow stacks:
    the weight ``(O, C, *k)`` of an RGB checkpoint is averaged over its C input channels
    and the mean replicated ``in_channels`` times (not rescaled, as in TSN's reference
    code), so a 2L-channel flow stack, 2-channel flow fields read by a 3D network, or a
    1-channel gray frame start from the pretrained filters. Any kernel shape works:
    2D ``(O, C, kh, kw)``, 3D ``(O, C, kt, kh, kw)``, or the spatial ``(O, C, 1, kh, kw)``
    first convolution of a (2+1)D stem (its later convolutions read the stem's own
    channels and are unchanged). A weight that already has
    ``in_channels`` channels, or a missing key, is left as it is.

    Args:
        state_dict: Checkpoint tensors (not modified).
        key: The weight of the first convolution, e.g. ``'conv1.weight'``
            (``'stem.0.weight'`` for ``VideoResNet``, ``'conv1a.conv.weight'`` for ``C3D``).
        in_channels: Input channels of the model's convolution.

    Returns:
        A new state dict with the adapted weight ``(O, in_channels, *k)``.
    """
    weight = state_dict.get(key)
    if weight is None or weight.shape[1] == in_channels:
        return state_dict
    mean = weight.float().mean(dim=1, keepdim=True)  # (O, 1, *k)
    adapted = mean.expand(-1, in_channels, *weight.shape[2:]).to(weight.dtype).contiguous()
    return {**state_dict, key: adapted}
