# Adam with a cosine decay over the run: a robust default for short runs and demos.
max_epochs = 12
lr = 1e-3
weight_decay = 1e-4
# vidreg's loops: the train loop skips a batch whose every sample failed to decode
# (on_bad_sample='warn_skip'); validation and testing skip such batches too and report the loss.
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=lr, weight_decay=weight_decay),
                     clip_grad=dict(max_norm=10.0))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=lr * 0.01,
                        by_epoch=True, convert_to_iter_based=True)]
