# The fine-tuning recipe of today's video transformers and 3D CNNs (VideoMAE, Swin3D, MViT):
# AdamW, linear warmup then cosine decay, layer-wise learning-rate decay, no weight decay on
# norms, biases, position embeddings and tokens, gradient accumulation, an EMA of the weights
# and mixed precision. docs/training.md ("Fine-tuning recipe") explains each knob. MixUp/CutMix
# (model.data_preprocessor), label smoothing (the head's loss) and drop-path (the backbone) are
# knobs of the leaf configs, which write the model; RandAugment and random erasing are knobs of
# the dataset fragments.
max_epochs = 30
lr = 1e-3  # the head's rate, for batch_size * accumulative_counts clips per step
weight_decay = 0.05
warmup_epochs = 5  # linear warmup from lr / 100, then cosine decay to lr / 100
layer_decay = 0.75  # layer l of L gets lr * layer_decay ** (L - 1 - l); 1.0: off (any backbone)
accumulative_counts = 1  # one optimizer step every N batches (exact resume: N divides the epoch)
ema_momentum = 0.0  # > 0: validate, test and save an EMA of the weights (e.g. 2e-4); 0: off
precision = 'float32'  # autocast: 'bfloat16' (CPU or GPU) or 'float16' (GPU, loss scaling)

train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(
    type='AutocastOptimWrapper', dtype=precision, accumulative_counts=accumulative_counts,
    optimizer=dict(type='AdamW', lr=lr, weight_decay=weight_decay, betas=(0.9, 0.999)),
    clip_grad=dict(max_norm=5.0),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        # no decay on norms, biases and any other 1-D parameter (VideoMAE's q_bias, v_bias)
        layer_decay_rate=layer_decay, norm_decay_mult=0.0, bias_decay_mult=0.0,
        flat_decay_mult=0.0,
        # position embeddings and tokens of ViT/VideoMAE, Swin and MViT (substrings of names)
        custom_keys={'pos_embed': dict(decay_mult=0.0), 'cls_token': dict(decay_mult=0.0),
                     'mask_token': dict(decay_mult=0.0), 'pos_encoding': dict(decay_mult=0.0),
                     'relative_position_bias_table': dict(decay_mult=0.0),
                     'rel_pos': dict(decay_mult=0.0)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, begin=0, end=warmup_epochs, by_epoch=True,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min_ratio=0.01,
         begin=warmup_epochs, end=max_epochs, by_epoch=True, convert_to_iter_based=True),
]
