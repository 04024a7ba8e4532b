# CNN-RNN (seed 001: PacktPublishing/PyTorch-Computer-Vision-Cookbook Chapter10 `Resnt18Rnn`,
# M. Avendi's blog; SPEC §2) on HMDB51, all 51 classes, official split 1. Published model:
# ResNet-18 (ImageNet, fc removed: 512-d per frame) -> Dropout(0.1) -> 1-layer LSTM(100) -> linear
# on the last step; 16 evenly spaced frames at 224 px, ImageNet mean/std; Adam lr 3e-5.
# Seed bugs fixed here (SPEC §2.6): the LSTM is batch-first by construction (the seed's (B, 1, 512)
# steps made nn.LSTM read the batch as time, so clips leaked into each other's state); frames keep
# their temporal order (the seed globbed unsorted, unpadded frame names and dropped one of 17);
# one spatial augmentation per clip; the head emits logits and the loss applies the softmax;
# official split with a held-out validation part instead of 5 classes and a random split; every
# batch trains (the seed left sanity_check=True: one batch per epoch).
# Schedule: the seed's (configs/_base_/schedules/adam_plateau.py): Adam, ReduceLROnPlateau
# (factor 0.5, patience 5) on the validation loss, 20 epochs; the best checkpoint is kept by
# validation top-1. The seed also reloaded the best-validation-loss weights at every LR drop; that
# is not done here (the LR halves, training continues from the current weights). lr 1e-4 rather
# than 3e-5: the seed trained with batch 1, here batch 8 makes 8x fewer steps per epoch; Adam's
# step does not grow with the batch, so the lr is scaled by ~sqrt(8).
_base_ = ['./_base_/runtime.py', './_base_/schedules/adam_plateau.py',
          './_base_/datasets/hmdb51.py']

num_classes = 51
# ImageNet weights, read only from the local torch cache ($TORCH_HOME/hub/checkpoints/
# resnet18-f37072fd.pth): a missing file is a clear error, never a download. A local checkpoint
# path also works; None trains from scratch.
pretrained = 'ResNet18_Weights.IMAGENET1K_V1'
max_epochs = 20
lr = 1e-4

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalRNN', cell='lstm', hidden_channels=100, num_layers=1,
                  dropout=0.1, reduction='last'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),  # ImageNet mean/std, as the seed
)
