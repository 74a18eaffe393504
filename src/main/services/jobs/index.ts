export { JobQueue, type JobContext, type JobRunner, type JobQueueOptions } from './queue';
