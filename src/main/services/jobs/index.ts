export { JobQueue, FINAL_STATES, type JobContext, type JobRunner, type JobQueueOptions } from './queue';
