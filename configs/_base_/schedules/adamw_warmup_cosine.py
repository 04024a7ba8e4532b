# AdamW with a linear warmup then a cosine decay, the transformer fine-tuning schedule
# (VideoMAE's, without layer-wise decay): no weight decay on norms and biases (the fixed
# positions of VideoMAE are no parameter), gradients clipped at norm 5, per-iteration steps.
max_epochs = 50
warmup_epochs = 5
lr = 1e-3
weight_decay = 0.05
min_lr = 1e-6
# vidreg's loops: the train loop skips a batch whose every sample failed to decode
# (on_bad_sample='warn_skip'); validation and testing skip such batches too and report the loss.
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=lr, betas=(0.9, 0.999),
                                    weight_decay=weight_decay),
                     paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
                     clip_grad=dict(max_norm=5.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=min_lr,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
]
