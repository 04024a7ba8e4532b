"""A converted source as a complete vidreg checkpoint: weights, config, classes, normalisation.

The config is a runnable recognizer (backbone -> :class:`TemporalAvgPool` -> :class:`ClsHead`)
with the source's ``VideoDataPreprocessor`` and a one-view test pipeline of the clip the weights
were evaluated on, stored as ``meta['cfg']`` as the training Runner stores it; so
``tools/infer.py``, ``tools/export.py`` and ``init_model`` build the model from the file alone.
"""
from typing import Optional, Tuple

from mmengine.config import Config

from .source import SourceModel, StateDict

__all__ = ['recognizer_config', 'recognizer_state_dict', 'classes_meta', 'test_pipeline']


def test_pipeline(source_model: SourceModel) -> list:
    """One centre clip, resized as decoded, centre-cropped: the source's evaluation input."""
    clip = source_model.test_clip
    return [
        dict(type='OpenVideo'),
        dict(type='SampleFrames', num_frames=clip.num_frames, frame_interval=clip.frame_interval),
        dict(type='DecodeFrames', resize=dict(short_side=clip.short_side)),
        dict(type='CenterCrop', crop_size=clip.crop_size),
        dict(type='PackVideoInputs'),
    ]


def recognizer_config(backbone: dict, source_model: SourceModel) -> Config:
    """The config of the recognizer that a source with a classifier converts into.

    Args:
        backbone: The backbone config the converted tensors fit (``pretrained`` is dropped:
            every weight is in the checkpoint).
        source_model: What the source converted (its head gives K).

    Returns:
        A config with ``model``, a ``test_dataloader`` (a ``CSVDataset`` reading ``test.csv``:
        pass your own config to ``tools/test.py``) and ``test_evaluator``.
    """
    num_classes = int(source_model.head['fc.bias'].shape[0])
    backbone = {k: v for k, v in backbone.items() if k != 'pretrained'}
    dataset = dict(type='CSVDataset', ann_file='test.csv', num_classes=num_classes,
                   pipeline=test_pipeline(source_model), test_mode=True)
    if source_model.classes is not None:
        dataset['classes'] = list(source_model.classes)
    return Config(dict(
        default_scope='vidreg',
        model=dict(type='Recognizer', backbone=backbone, temporal=dict(type='TemporalAvgPool'),
                   head=dict(type='ClsHead', num_classes=num_classes),
                   data_preprocessor=dict(type='VideoDataPreprocessor',
                                          **source_model.data_preprocessor)),
        test_dataloader=dict(batch_size=1, num_workers=0,
                             sampler=dict(type='DefaultSampler', shuffle=False),
                             collate_fn=dict(type='vidreg.video_collate'), dataset=dataset),
        test_evaluator=dict(type='AccuracyMetric', topk=(1, 5)),
    ))


def recognizer_state_dict(backbone: StateDict, head: StateDict) -> StateDict:
    """Backbone and head tensors under the Recognizer's names (``backbone.*``, ``head.*``)."""
    state = {f'backbone.{k}': v for k, v in backbone.items()}
    state.update({f'head.{k}': v for k, v in head.items()})
    return state


def classes_meta(classes: Optional[Tuple[str, ...]]) -> dict:
    """``meta['dataset_meta']`` as the Runner writes it (``init_model`` reads the classes)."""
    meta = dict(task='classification')
    if classes is not None:
        meta['classes'] = list(classes)
    return meta
