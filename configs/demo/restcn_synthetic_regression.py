# ResNet-TCN (seed 000, SPEC §1) as a regressor on the shipped synthetic videos, CPU-sized: the
# target is the signed total change over the video in [-1, 1] (+ for the first class of a
# time-reversal pair, - for the second), so its sign is only visible from frame order. Same model
# as restcn_synthetic.py with a RegHead squashed into the target range and an MSE loss; the best
# checkpoint is the one with the lowest validation RMSE. Trained from scratch.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

task = 'regression'
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 12

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=3, hidden_channels=64,
                  kernel_size=3, dropout=0.1, reduction='last'),
    head=dict(type='RegHead', num_outputs=1, dropout=0.2, output_range=(-1, 1),
              loss=dict(type='MSELoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
default_hooks = dict(checkpoint=dict(save_best='reg/rmse', rule='less'))
