"""The depth of a ResNet read from the blocks per stage of its state dict (several sources)."""
from .source import StateDict

__all__ = ['resnet_depth']


def _blocks(state_dict: StateDict, layer: str) -> int:
    return len({k.split('.')[1] for k in state_dict if k.startswith(layer + '.')})


def resnet_depth(state_dict: StateDict, bottleneck: bool) -> int:
    """18, 34 or 50 from the blocks of ``layer1`` .. ``layer4``.

    Raises:
        ValueError: Blocks per stage of no supported depth.
    """
    blocks = tuple(_blocks(state_dict, f'layer{i}') for i in range(1, 5))
    depths = {((2, 2, 2, 2), False): 18, ((3, 4, 6, 3), False): 34, ((3, 4, 6, 3), True): 50}
    if (blocks, bottleneck) not in depths:
        raise ValueError(f'blocks per stage {blocks} (bottleneck={bottleneck}) match no supported '
                         f'depth (18, 34, 50); give the backbone explicitly.')
    return depths[blocks, bottleneck]
