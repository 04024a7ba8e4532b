# ResNet-TCN (seed 000: abedicodes/ResNet-TCN; SPEC §1) on DAiSEE engagement with an ordinal head:
# the levels 0-3 are ordered, so the head learns "above level k?" for k = 0, 1, 2 (CORN: Shi, Cao
# & Raschka 2021) and chains them into one probability per level. Same model, data and schedule
# as restcn_daisee.py (classes) and restcn_daisee_regression.py (a number); all three report the
# levels' QWK, MAE in levels and accuracy (ordinal/...), and the best epoch here is the
# highest validation QWK.
# Seed bugs fixed here (SPEC §1.6): frames in temporal order, a scheduler that steps, CPU or GPU,
# batched ResNet over all frames, selection on the Validation split, unshuffled test loader.
# Reduction over time: the last TCN step (see restcn_daisee.py for why).
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_100e.py', './_base_/datasets/daisee.py']

num_classes = 4
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=8, hidden_channels=128,
                  kernel_size=7, dropout=0.1, reduction='last'),
    head=dict(type='CORNHead', num_classes=num_classes, loss=dict(type='CORNLoss')),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
default_hooks = dict(checkpoint=dict(save_best='ordinal/qwk'))
