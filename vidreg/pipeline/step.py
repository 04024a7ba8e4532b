"""The base of every pipeline step: one sample's ``results`` dict in, the changed dict out."""
import inspect
from typing import Any, Optional

from .modality import Modalities

__all__ = ['PipelineStep']


class PipelineStep:
    """A step of the data pipeline (registered in ``TRANSFORMS`` under its class name).

    A step reads and writes keys of one sample's ``results`` dict in :meth:`transform`.
    Frames are NumPy uint8 ``(N, C, H, W)`` arrays, usually channels-last views of the
    decoder's ``(N, H, W, C)`` memory; a step never changes an array it was given in
    place (it may be a view of another key's frames, e.g. ``np.flip``'s), it stores a
    new one. Steps import no torch: the same classes run in training, testing, inference
    and the torch-free deployment runner (``docs/architecture.md``, "The step contract").

    A subclass stores each constructor argument under an attribute of the same name, so
    that :meth:`config` reports the step with every default filled in (what an exported
    model stores, and what ``repr`` shows), and declares in :meth:`modalities` what the
    keys it writes carry (the facts the model is built from).

    Attributes:
        accepts_frame_map: ``True`` when the step treats every frame alike (a spatial or
            colour change with one set of parameters per sample) or applies
            ``frame_map`` itself: :class:`~vidreg.pipeline.DecodeFrames` then hands the
            steps each distinct frame once (see :class:`~vidreg.pipeline.Compose`).
    """

    accepts_frame_map = False

    def transform(self, results: dict) -> Optional[dict]:
        """Change one sample; ``None`` drops it."""
        raise NotImplementedError

    def __call__(self, results: dict) -> Optional[dict]:
        return self.transform(results)

    def modalities(self, specs: Modalities) -> Modalities:
        """What the sample's keys carry after this step, given what they carry before.

        The default changes nothing. A step that makes a modality (a decoder, a computed
        input such as optical flow) or changes what one carries (its kind, channels or T)
        returns the changed specs; a step may also read them (``Flip`` learns which of its
        keys hold flow fields). :class:`~vidreg.pipeline.Compose` calls it once per step,
        in order, when the pipeline is built.

        Args:
            specs: Key -> :class:`~vidreg.pipeline.ModalitySpec` before this step (a copy
                the step may change).
        """
        return specs

    def config(self) -> dict:
        """``dict(type=<class name>, **arguments)``: every constructor argument, defaults
        filled in, from the attribute of the same name.

        ``TRANSFORMS.build(step.config())`` builds an equal step.

        Raises:
            TypeError: The class does not keep an argument under its name.
        """
        arguments = {}
        for name, parameter in inspect.signature(type(self).__init__).parameters.items():
            if name == 'self' or parameter.kind in (parameter.VAR_POSITIONAL,
                                                    parameter.VAR_KEYWORD):
                continue
            if not hasattr(self, name):
                raise TypeError(f'{type(self).__name__} keeps no attribute {name!r} for its '
                                f'argument of that name; store it as self.{name} so that the '
                                f'step can be reported and exported.')
            arguments[name] = _plain(getattr(self, name))
        return dict(type=type(self).__name__, **arguments)

    def __repr__(self) -> str:
        arguments = {k: v for k, v in self.config().items() if k != 'type'}
        return f'{type(self).__name__}({", ".join(f"{k}={v!r}" for k, v in arguments.items())})'


def _plain(value: Any) -> Any:
    """A copy of an argument made of dicts, tuples and scalars (what a config holds)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    return value
