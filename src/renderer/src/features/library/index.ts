export { ProjectLibrary } from './ProjectLibrary';
