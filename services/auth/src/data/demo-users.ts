/** The seed README's demo users: development and demo installations only, never production. */
export const demoUsers = [
  {
    email: 'admin@usermanagement.local',
    password: 'AdminPassword123!',
    role: 'super_admin',
    firstName: 'System',
    lastName: 'Administrator',
  },
  {
    email: 'demo.admin@usermanagement.local',
    password: 'DemoAdmin123!',
    role: 'admin',
    firstName: 'Demo',
    lastName: 'Admin',
  },
  {
    email: 'john.doe@example.com',
    password: 'DemoUser123!',
    role: 'user',
    firstName: 'John',
    lastName: 'Doe',
  },
  {
    email: 'jane.smith@example.com',
    password: 'DemoUser123!',
    role: 'user',
    firstName: 'Jane',
    lastName: 'Smith',
  },
  {
    email: 'alice.wilson@example.com',
    password: 'DemoUser123!',
    role: 'user',
    firstName: 'Alice',
    lastName: 'Wilson',
  },
  {
    email: 'mike.brown@example.com',
    password: 'DemoUser123!',
    role: 'admin',
    firstName: 'Mike',
    lastName: 'Brown',
  },
] as const;
