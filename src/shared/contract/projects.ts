import { z } from 'zod';
import { channel } from './channel';

export const ProjectId = z.string().uuid();

export const ProjectName = z
  .string()
  .trim()
  .min(1, 'A project needs a name.')
  .max(200, 'A project name has at most 200 characters.');

export const ProjectSchema = z.object({
  id: ProjectId,
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const projectChannels = {
  list: channel('All projects, newest first.', z.object({}).strict(), z.array(ProjectSchema)),
  get: channel('One project by id.', z.object({ id: ProjectId }).strict(), ProjectSchema),
  create: channel('Create an empty project.', z.object({ name: ProjectName }).strict(), ProjectSchema),
  rename: channel('Rename a project.', z.object({ id: ProjectId, name: ProjectName }).strict(), ProjectSchema),
  delete: channel('Delete a project and everything it owns.', z.object({ id: ProjectId }).strict(), z.object({ deleted: z.literal(true) })),
};
