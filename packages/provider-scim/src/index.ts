export { default } from './provider.js';
