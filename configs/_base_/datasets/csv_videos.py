# Your own videos listed in path,label CSVs (the ResNet-TCN seed's format, SPEC §7): `path` is a
# video file or a folder of frames, relative to data_root; `label` an integer class in
# [0, num_classes) or, with task='regression', a number (several label columns: several targets,
# e.g. label_columns = ['valence', 'arousal'] for a CSV with the header path,valence,arousal).
data_root = 'data/my_videos'
ann_file_train = 'train.csv'  # relative to data_root
ann_file_val = 'validation.csv'  # model selection; never select on the test CSV
ann_file_test = 'test.csv'
task = 'classification'  # or 'regression'
num_classes = 4  # None for regression
label_columns = ['label']  # the CSV column(s) holding the label; several only for regression
num_frames = 16  # evenly spaced over the whole video
img_size = 224
batch_size = 4
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
flip_prob = 0.5  # set 0.0 when left and right matter (e.g. directions of motion)

# Short side to img_size, then the central square (val/test) or a mild random zoom/shift inside it
# (train: at least 70% of its area, one window per clip) plus a horizontal flip.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='UniformSampleFrames', num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=img_size),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='RandomResizedCrop', size=img_size, area_range=(0.7, 1.0),
         aspect_ratio_range=(0.9, 1.1)),
    dict(type='Flip', prob=flip_prob),
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

dataset = dict(type='CSVDataset', data_root=data_root, task=task, num_classes=num_classes,
               label_columns=label_columns)
loader = dict(batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
              collate_fn=dict(type='vidreg.video_collate'))
train_dataloader = dict(
    **loader, sampler=dict(type='SeededSampler', shuffle=True),
    dataset=dict(**dataset, ann_file=ann_file_train, pipeline=train_pipeline))
val_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, ann_file=ann_file_val, pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, ann_file=ann_file_test, pipeline=test_pipeline, test_mode=True))
# The metric follows the task knob (a leaf or --cfg-options task=regression switches both).
val_evaluator = dict(type='TaskMetric', task=task, topk=(1, 5))
test_evaluator = val_evaluator
