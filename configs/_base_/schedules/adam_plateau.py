# CNN-RNN seed schedule (SPEC §2.4): Adam, ReduceLROnPlateau(mode='min', factor=0.5, patience=5)
# on the validation loss, 20 epochs. VidregValLoop reports the loss after the metrics as `loss`
# (logged as val/loss); mmengine's ParamSchedulerHook hands the validation metrics to the
# scheduler after each validation, so validate every epoch (patience counts validations).
# The scheduler's state (best loss, bad epochs) is saved in checkpoints: resuming stays exact.
max_epochs = 20
lr = 3e-5
# vidreg's loops: the train loop skips a batch whose every sample failed to decode
# (on_bad_sample='warn_skip'); validation and testing skip such batches too and report the loss.
train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')  # metrics, then the validation loss
test_cfg = dict(type='VidregTestLoop')  # metrics, then the loss (labelled sets)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=lr), clip_grad=None)
param_scheduler = [dict(type='ReduceOnPlateauLR', monitor='loss', rule='less', factor=0.5,
                        patience=5)]
