"""Every registry vidreg builds from, as children of mmengine's roots.

This is the only module that creates a :class:`mmengine.registry.Registry`.
Each child has ``scope='vidreg'`` and ``locations`` that exist, so that
``Registry.build`` can import the module that registers a name on demand.
Plugins register into these objects; they never create registries.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS',
    'METRICS', 'EVALUATOR', 'TASK_UTILS', 'VISUALIZERS', 'VISBACKENDS', 'FUNCTIONS',
    'INFERENCERS', 'ALL_REGISTRIES',
]

RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, scope='vidreg',
                   locations=['vidreg.engine.runner'])
RUNNER_CONSTRUCTORS = Registry('runner constructor', parent=MMENGINE_RUNNER_CONSTRUCTORS,
                               scope='vidreg', locations=['vidreg.engine.runner'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, scope='vidreg',
                 locations=['vidreg.engine.runner'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope='vidreg',
                 locations=['vidreg.engine.hooks'])
LOG_PROCESSORS = Registry('log processor', parent=MMENGINE_LOG_PROCESSORS, scope='vidreg',
                          locations=['vidreg.engine.hooks'])

DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope='vidreg',
                    locations=['vidreg.datasets'])
DATA_SAMPLERS = Registry('data sampler', parent=MMENGINE_DATA_SAMPLERS, scope='vidreg',
                         locations=['vidreg.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS, scope='vidreg',
                      locations=['vidreg.pipeline'])

MODELS = Registry('model', parent=MMENGINE_MODELS, scope='vidreg', locations=['vidreg.models'])
MODEL_WRAPPERS = Registry('model wrapper', parent=MMENGINE_MODEL_WRAPPERS, scope='vidreg',
                          locations=['vidreg.models'])
WEIGHT_INITIALIZERS = Registry('weight initializer', parent=MMENGINE_WEIGHT_INITIALIZERS,
                               scope='vidreg', locations=['vidreg.models'])

OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS, scope='vidreg',
                      locations=['vidreg.engine.runner'])
OPTIM_WRAPPERS = Registry('optim wrapper', parent=MMENGINE_OPTIM_WRAPPERS, scope='vidreg',
                          locations=['vidreg.engine.optim'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry('optimizer wrapper constructor',
                                      parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                      scope='vidreg', locations=['vidreg.engine.optim'])
PARAM_SCHEDULERS = Registry('parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS,
                            scope='vidreg', locations=['vidreg.engine.runner'])

METRICS = Registry('metric', parent=MMENGINE_METRICS, scope='vidreg',
                   locations=['vidreg.evaluation'])
EVALUATOR = Registry('evaluator', parent=MMENGINE_EVALUATOR, scope='vidreg',
                     locations=['vidreg.evaluation'])

TASK_UTILS = Registry('task util', parent=MMENGINE_TASK_UTILS, scope='vidreg',
                      locations=['vidreg.models'])
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS, scope='vidreg',
                       locations=['vidreg.engine.hooks'])
VISBACKENDS = Registry('vis backend', parent=MMENGINE_VISBACKENDS, scope='vidreg',
                       locations=['vidreg.engine.hooks'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, scope='vidreg',
                     locations=['vidreg.datasets'])
INFERENCERS = Registry('inferencer', parent=MMENGINE_INFERENCERS, scope='vidreg',
                       locations=['vidreg.engine.runner'])

ALL_REGISTRIES = dict(
    runner=RUNNERS, runner_constructor=RUNNER_CONSTRUCTORS, loop=LOOPS, hook=HOOKS,
    log_processor=LOG_PROCESSORS, dataset=DATASETS, data_sampler=DATA_SAMPLERS,
    transform=TRANSFORMS, model=MODELS, model_wrapper=MODEL_WRAPPERS,
    weight_initializer=WEIGHT_INITIALIZERS, optimizer=OPTIMIZERS, optim_wrapper=OPTIM_WRAPPERS,
    optim_wrapper_constructor=OPTIM_WRAPPER_CONSTRUCTORS, param_scheduler=PARAM_SCHEDULERS,
    metric=METRICS, evaluator=EVALUATOR, task_util=TASK_UTILS, visualizer=VISUALIZERS,
    vis_backend=VISBACKENDS, function=FUNCTIONS, inferencer=INFERENCERS)

# vidreg's own registry (no mmengine root exists for it): video decoding backends.
VIDEO_DECODERS = Registry('video decoder', scope='vidreg', locations=['vidreg.pipeline.decoders'])
ALL_REGISTRIES['video_decoder'] = VIDEO_DECODERS
__all__.append('VIDEO_DECODERS')
