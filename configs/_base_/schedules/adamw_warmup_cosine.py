# AdamW with a linear warmup then a cosine decay to 1% of lr: how Video Swin and MViT are
# fine-tuned (their papers: AdamW, weight decay 0.05, a few warmup epochs, cosine). Every
# parameter gets the same lr and weight decay here.
max_epochs = 30
lr = 1e-4
weight_decay = 0.05
warmup_epochs = 2
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=lr, betas=(0.9, 0.999),
                                    weight_decay=weight_decay),
                     clip_grad=dict(max_norm=10.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=lr * 0.01,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
]
