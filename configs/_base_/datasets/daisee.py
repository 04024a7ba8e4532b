# DAiSEE (SPEC §1.4, §7) read as distributed: DataSet/{Train,Validation,Test}/<subject>/<clip>/
# <clip>.avi and Labels/*Labels.csv, the official subject-disjoint splits. Training on 'Train',
# model selection on 'Validation', the final figure on 'Test' (the seed selected nothing and
# evaluated on a shuffled test loader, SPEC §1.6).
data_root = 'data/DAiSEE'
task = 'classification'  # or 'regression' (the level 0-3 as a number)
label = 'Engagement'  # or 'Boredom', 'Confusion', 'Frustration'; a list for multi-output regression
num_frames = 16  # evenly spaced over the 10 s clip: ~every 19th frame (seed, first commit: 18th)
img_size = 224
batch_size = 4
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4

# Frames are 640x480. The seed cut the central 480x480 and resized it to 224: here the short side
# goes to img_size first (299x224), then the central img_size square (the same framing, 7x less
# resizing work). Training adds a mild random zoom/shift inside that square (at least 70% of its
# area, one window per clip) and a horizontal flip; val/test take the centre square only.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='UniformSampleFrames', num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=img_size),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='RandomResizedCrop', size=img_size, area_range=(0.7, 1.0),
         aspect_ratio_range=(0.9, 1.1)),
    dict(type='Flip', prob=0.5),
    dict(type='PackVideoInputs'),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='UniformSampleFrames', num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=img_size),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='PackVideoInputs'),
]

dataset = dict(type='DAiSEEDataset', data_root=data_root, task=task, label=label)
loader = dict(batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
              collate_fn=dict(type='vidreg.video_collate'))
train_dataloader = dict(
    **loader, sampler=dict(type='SeededSampler', shuffle=True),
    dataset=dict(**dataset, split='Train', pipeline=train_pipeline))
val_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='Validation', pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='Test', pipeline=test_pipeline, test_mode=True))
# Top-1, mean class accuracy (the classes are imbalanced) and a confusion matrix; RMSE, MAE,
# Pearson, Spearman, CCC and R² when the task knob says regression (a leaf or --cfg-options
# task=...). Then, whatever the head (classes, CORN levels or a number), the levels' quadratic
# weighted kappa, MAE in levels and accuracy (ordinal/...), so the three compare side by side.
val_evaluator = [dict(type='TaskMetric', task=task, topk=(1,)),
                 dict(type='OrdinalMetric', num_levels=4)]
test_evaluator = val_evaluator
