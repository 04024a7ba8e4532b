# ResNet-TCN on the synthetic multi-label videos, CPU-sized: each clip holds any subset of a red
# disc, a green square, a blue bar and a brightening of the whole frame (each present with
# p = 0.5, generated once into data_root). One sigmoid per class, binary cross-entropy; the best
# checkpoint has the highest validation mAP, and the threshold with the best validation micro F1
# is stored in it for tools/test.py, tools/infer.py and the ONNX export. docs/multilabel.md.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

data_root = 'data/synthetic_multilabel'  # a folder of its own (not the single-label set's)
task = 'multilabel'
num_classes = 4
videos_per_class = (40, 10, 10)  # x num_classes videos per split: 160 / 40 / 40
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 8

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=3, hidden_channels=64,
                  kernel_size=3, dropout=0.1, reduction='last'),
    head=dict(type='MultiLabelHead', num_classes=num_classes, dropout=0.2, threshold=0.5,
              loss=dict(type='AsymmetricLoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
default_hooks = dict(checkpoint=dict(save_best='multilabel/mAP', rule='greater'))
