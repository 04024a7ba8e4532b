# Self-supervised pre-training with the direction and tracking losses alone (no labels are read:
# cls_weight = 0, no validation) on the synthetic training videos; fine-tune from its last
# checkpoint with configs/demo/multibranch_finetune_synthetic.py.
#   python tools/train.py configs/demo/multibranch_pretrain_synthetic.py
_base_ = ['./multibranch_synthetic.py']

max_epochs = 4
cls_weight = 0.0
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=max_epochs + 1)
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=1,
                                     save_best=None))
