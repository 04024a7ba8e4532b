# ResNet-TCN seed schedule (SPEC §1.3): SGD lr 1e-3, momentum 0.9, 100 epochs, StepLR(50, 0.1)
# (the seed created the scheduler but never stepped it; here it steps).
max_epochs = 100
lr = 1e-3
# vidreg's loops: the train loop skips a batch whose every sample failed to decode
# (on_bad_sample='warn_skip'); validation and testing skip such batches too and report the loss.
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=lr, momentum=0.9),
                     clip_grad=None)
param_scheduler = [dict(type='StepLR', step_size=50, gamma=0.1, by_epoch=True)]
