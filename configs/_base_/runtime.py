# Runtime shared by every config: Runner, hooks, logging, checkpoints, seeds.
default_scope = 'vidreg'
runner_type = 'VidregRunner'  # atomic checkpoint writes, safe checkpoint loading

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Keeps the latest checkpoints (rewritten after validation, so a resume keeps that epoch's
    # results) and the best one by the first validation metric (best_*.pth).
    checkpoint=dict(type='CheckpointAfterValHook', interval=1, max_keep_ckpts=2, save_best='auto'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # With several processes, every process's BatchNorm statistics become their mean after each
    # training epoch, so validation on every process and the checkpoint use the same model
    # (otherwise each process validates with its own, and tools/test.py sees rank 0's).
    sync_buffers=dict(type='SyncBuffersHook'),
    # Stops training at the first non-finite loss or weight (exit code 2, one line naming the
    # epoch and iteration); the broken state is never saved, the earlier checkpoints stay.
    divergence_check=dict(type='DivergenceCheckHook'),
    # Regression heads learn standardised targets: the training split's mean and std per target,
    # set when training starts (not on resume) and stored in the checkpoint.
    target_stats=dict(type='TargetStatsHook'),
    # Multi-label heads decide with the threshold chosen on the validation split (best micro F1),
    # stored in the head after each validation, so checkpoints carry it.
    multilabel_threshold=dict(type='MultiLabelThresholdHook'),
)
# RNGStateHook stores RNG states in checkpoints so a resumed run continues exactly.
# SkippedSamplesHook reports, per epoch, samples dropped by on_bad_sample='warn_skip'.
# ClassMapHook checks a loaded checkpoint's class-index map against the val/test data.
custom_hooks = [dict(type='RichProgressHook'), dict(type='TrainSummaryHook'),
                dict(type='RNGStateHook'), dict(type='SkippedSamplesHook'),
                dict(type='ClassMapHook')]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),  # tools/ switch to gloo on machines without a GPU
)
# Scalars are logged as train/loss, val/loss, val/acc/top1, ... Per-epoch validation values (the
# loss included) are logged as they are, not smoothed over the last 20 epochs like training's.
log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True, log_with_hierarchy=True,
                     mean_pattern=r'^(?!val/|test/).*(loss|time|data_time|grad_norm).*')
# The full log (environment, config, hook order, every log line) goes to
# <work_dir>/<timestamp>/<timestamp>.log at log_level. The console shows progress bars, per-epoch
# metrics, the summary, and log messages from console_log_level up ('INFO' shows everything).
log_level = 'INFO'
console_log_level = 'WARNING'
# Scalars go to <work_dir>/<timestamp>/vis_data/scalars.json; TensorBoard too when installed.
tensorboard = True
visualizer = dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])

randomness = dict(seed=0, deterministic=False)
load_from = None
resume = False
# load_from (fine-tuning, tools/test.py) must fit the model exactly: a missing, extra or
# differently shaped tensor stops the run with the keys named. True loads the tensors that fit
# and logs the others (e.g. a new head for another class count). Resuming is always exact.
partial_load = False
