// What other features may use of the roles editor (eslint enforces it): the role picker.
export { RoleSelect } from './components/role-select.tsx';
