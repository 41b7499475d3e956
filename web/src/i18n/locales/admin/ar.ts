import type { AdminErrorMessages, AdminShellMessages } from './en.ts';

export const adminShellAr: AdminShellMessages = { nav: { link: 'الإدارة' } };

export const adminErrorsAr: AdminErrorMessages = {
  account: {
    not_found: 'لا يوجد حساب بهذا المعرّف.',
    self_demotion: 'لا يمكنك تغيير دورك أو حالتك من هنا.',
    self_deletion: 'لا يمكنك حذف حسابك من هنا.',
    protected_target: 'لهذا الحساب صلاحيات لا تملكها، لذا لا يمكنك تغييره.',
    role_not_grantable: 'يمنح هذا الدور صلاحيات لا تملكها، لذا لا يمكنك إسناده.',
    unknown_role: 'هذا الدور غير موجود.',
    last_super_admin: 'يجب أن يبقى حساب super_admin نشط واحد على الأقل.',
    not_active: 'هذا الحساب موقوف أو غير نشط، لذا لا يمكن تنفيذ هذا الإجراء الآن.',
  },
  role: {
    not_found: 'هذا الدور غير موجود.',
    already_exists: 'يوجد دور بهذا الاسم بالفعل.',
    system_role: 'لا يمكن حذف الأدوار المدمجة.',
    in_use: 'لا تزال بعض الحسابات تحمل هذا الدور. أسند إليها دورًا آخر أولًا.',
    lockout_protection: 'يجب أن يحتفظ دور super_admin بصلاحية إدارة الأدوار.',
    self_demotion: 'لا يمكنك إزالة صلاحية إدارة الأدوار من دورك.',
  },
  directory: { invalid_cursor: 'رابط هذه الصفحة لم يعد صالحًا. ابدأ من الصفحة الأولى.' },
  audit: { invalid_cursor: 'رابط هذه الصفحة لم يعد صالحًا. ابدأ من الصفحة الأولى.' },
  export: { rate_limited: 'عدد كبير جدًا من عمليات التصدير. انتظر دقيقة ثم حاول مرة أخرى.' },
};
