# ResNet-TCN (seed 000: abedicodes/ResNet-TCN; SPEC §1) on DAiSEE engagement as a regression: the
# level 0-3 predicted as a number (the seed's first version also had a single output on the last
# step, SPEC §1.1). Same model, data and schedule as restcn_daisee.py; the head squashes its output
# into [0, 3] and is trained with MSE; the best epoch is the lowest validation RMSE.
# Seed bugs fixed here (SPEC §1.6): frames in temporal order, a scheduler that steps, CPU or GPU,
# batched ResNet over all frames, selection on the Validation split, unshuffled test loader.
# Reduction over time: the last TCN step (see restcn_daisee.py for why).
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_100e.py', './_base_/datasets/daisee.py']

task = 'regression'
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=8, hidden_channels=128,
                  kernel_size=7, dropout=0.1, reduction='last'),
    head=dict(type='RegHead', num_outputs=1, output_range=(0, 3), loss=dict(type='MSELoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
default_hooks = dict(checkpoint=dict(save_best='reg/rmse', rule='less'))
