// What the admin features (admin-users, admin-roles, admin-audit) may use of the console's shell;
// eslint refuses an import of any other file in this folder from outside it.
export { can } from './admin-access.ts';
export { resultCodeKey } from './admin-errors.ts';
export { AdminError } from './components/admin-error.tsx';
export { AdminPage } from './components/admin-page.tsx';
export { CursorPager } from './components/cursor-pager.tsx';
export { ExportButtons } from './components/export-buttons.tsx';
export {
  cardClass,
  dangerButton,
  InputField,
  primaryButton,
  secondaryButton,
  SelectField,
} from './components/fields.tsx';
export { FilterBar } from './components/filter-bar.tsx';
export { RequirePermission } from './components/require-permission.tsx';
export {
  captionClass,
  cellClass,
  headCellClass,
  TableRegion,
  tableClass,
} from './components/table-region.tsx';
export { useCursorPages } from './hooks/use-cursor-pages.ts';
export { useFormat } from './hooks/use-format.ts';
