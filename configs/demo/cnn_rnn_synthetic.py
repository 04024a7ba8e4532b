# CNN-RNN (seed 001, SPEC §2) on the shipped synthetic order-dependent videos, CPU-sized:
# ResNet-18 per frame (all frames in one batched pass) -> Dropout(0.1) -> 1-layer LSTM(100),
# batch-first -> last step -> linear classifier. Trained from scratch (nothing is downloaded).
# Seed bugs fixed: the LSTM is batch-first by construction (the seed's (B, 1, 512) steps made it
# read the batch as time, SPEC §2.6); frames are sampled in temporal order from the video itself
# (no unsorted glob of unpadded frame names); the head emits logits, the loss applies the softmax.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 12

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalRNN', cell='lstm', hidden_channels=100, num_layers=1,
                  dropout=0.1, reduction='last'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
