# Seed 002's schedule (SPEC §3.4) with its stepping fixed: SGD lr 1e-3, momentum 0.9, weight decay
# 5e-4, 10x lr on the head (the classifier), lr / 10 every 10 epochs. mmengine steps the scheduler
# after each training epoch (the seed stepped it before the first optimiser step, so its lr decayed
# an epoch early). 30 epochs as brianlin314's fork.
max_epochs = 30
lr = 1e-3
# vidreg's loops: the train loop skips a batch whose every sample failed to decode
# (on_bad_sample='warn_skip'); validation and testing skip such batches too and report the loss.
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=lr, momentum=0.9, weight_decay=5e-4),
                     paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=10.0)}),
                     clip_grad=None)
param_scheduler = [dict(type='StepLR', step_size=10, gamma=0.1, by_epoch=True)]
