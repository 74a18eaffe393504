export { TechPackPanel } from './TechPackPanel';
