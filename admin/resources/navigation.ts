/** The panel's sidebar groups, in the order a front desk works through a day. */
export const NAV = {
  patients: { name: 'Patients', icon: 'User' },
  schedule: { name: 'Schedule', icon: 'Calendar' },
  billing: { name: 'Billing', icon: 'CreditCard' },
  messages: { name: 'WhatsApp', icon: 'MessageCircle' },
  clinic: { name: 'Clinic', icon: 'Settings' },
} as const;
