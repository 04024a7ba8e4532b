"""The test pipeline an exported model stores, rebuilt and run without torch."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from vidreg.pipeline import Compose
from vidreg.plugins import import_custom_imports

__all__ = ['StoredPipeline']


class StoredPipeline:
    """Build the stored steps again with :class:`vidreg.pipeline.Compose` and run them.

    ``tools/export.py`` stores every step of the test pipeline with all its arguments
    (:meth:`vidreg.apis.TestTimePipeline.step_configs`); these are the very classes
    ``tools/test.py`` ran, so a video gets the inputs PyTorch got. Nothing here knows a
    step: a step's defaults, sampling and resizing live in its class only.

    Args:
        steps: The stored step configs (``vidreg_pipeline``).
        custom_imports: The config's ``custom_imports`` (plugins whose steps it uses),
            imported first.
    """

    def __init__(self, steps: Sequence[dict], custom_imports: Optional[dict] = None) -> None:
        import_custom_imports(custom_imports)
        self.compose = Compose([dict(step) for step in steps])

    @property
    def input_names(self) -> List[str]:
        """The modalities the pipeline packs, in order."""
        return list(self.compose.modalities())

    def __call__(self, path: str) -> Tuple[Dict[str, np.ndarray], Optional[Tuple[int, int]]]:
        """The packed clips of one video file or frame folder.

        Returns:
            ``{name: uint8 (V, T_k, C_k, H, W)}`` and, for a video that ended before its
            header's frame count, ``(header count, real count)`` (else ``None``).
        """
        sample = self.compose(dict(filename=path, test_mode=True, sample_idx=0))
        truncated = sample['data_samples']['metainfo'].get('truncated_frames')
        return sample['inputs'], truncated
