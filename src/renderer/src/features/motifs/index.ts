export { MotifSearchPanel } from './MotifSearchPanel';
