# Example plugin: TSM ResNet-18 on the shipped synthetic videos (CPU-sized), trained from scratch.
# The temporal shift lets frame features mix, so even an order-blind average pool over time can
# separate the time-reversed class pairs. Every component new to vidreg comes from plugins/example:
# TSMResNet2D (backbone), RandomStrideSampleFrames (frame sampler), FocalLoss (loss).
_base_ = ['../../../configs/_base_/runtime.py', '../../../configs/_base_/schedules/adam_cosine.py',
          '../../../configs/_base_/datasets/synthetic.py']
custom_imports = dict(imports=['plugins.example'], allow_failed_imports=False)

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 12
# Read by the dataset fragment's train and test pipelines (each clip draws a stride in 1..4 in
# training; test mode uses stride 2 and the centred clip).
frame_sampler = 'RandomStrideSampleFrames'

model = dict(
    type='Recognizer',
    backbone=dict(type='TSMResNet2D', depth=18, shift_div=8, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2,
              loss=dict(type='FocalLoss', gamma=2.0)),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
