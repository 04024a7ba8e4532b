# Two-stream ResNet-50s with SG3I (seed 004, SPEC §5: Z-Fisher/Action_Classification) on HMDB51
# split 1, sampled mode (frames at 6 fps, clips of 3 consecutive ones, one clip per second of
# video, every clip a sample): an RGB stream on the frames and an SG3I stream on the SG3I image of
# the same clip, both ImageNet ResNet-50s, fused by averaging their softmax scores (1 : 1, as the
# seed), trained jointly (fused cross-entropy plus each stream's).
# The seed's bugs, fixed: the heads emit logits (no ReLU/Dropout/Softmax after the last layer, so
# no double softmax), inputs are normalised (ImageNet statistics; SG3I with their luma), frames are
# never transposed, test clips are centre-cropped, models are selected on a validation part of the
# train list (not the test set), each clip gets its own crop/flip (not one per batch), gray uses
# RGB weights, the official split-1 train list only (ids 1, not 0 and 1), and accuracy is reported
# per video (acc/top1: the scores of its clips averaged) beside the seed's per-clip figure
# (acc/clip/top1). The seed's mode 1 (a clip at every native frame): sample_fps=None clip_stride=1.
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/hmdb51_sg3i.py']

num_classes = 51
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet50_Weights.IMAGENET1K_V1'
max_epochs = 30
lr = 1e-3
streams_used = None  # ('rgb',) or ('sg3i',): train that stream alone (then
#   tools/fuse_checkpoints.py fuses separately trained streams, the seed's route)
fusion_weights = {'rgb': 1.0, 'sg3i': 1.0}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

# The SG3I stream's input channels and statistics come from the data pipeline
# (vidreg.pipeline.ModalitySpec). Its first convolution is built for that many channels;
# ImageNet's RGB filters are averaged over colour and replicated into it (TSN's cross-modality
# initialisation).
model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='ResNet2D', depth=50, pretrained=pretrained),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5)),
        sg3i=dict(type='Recognizer', input_key='sg3i',
                      backbone=dict(type='ResNet2D', depth=50, pretrained=pretrained),
                      temporal=dict(type='TemporalAvgPool'),
                      head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5))),
    streams_used=streams_used,
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=fusion_weights),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
