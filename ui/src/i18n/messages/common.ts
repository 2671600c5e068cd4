/** Shell, sign-in and shared words. Every page keeps its own messages file next to this one, in both languages. */
export const common = {
  en: {
    app: { name: 'Knowledge Assistant', skip: 'Skip to content' },
    nav: { chat: 'Chat', knowledgeBases: 'Knowledge bases', wallet: 'Wallet', audit: 'Audit', signOut: 'Sign out', menu: 'Main' },
    settings: { language: 'Language', theme: 'Theme', light: 'Light', dark: 'Dark', system: 'System' },
    connection: {
      unreachable: 'Cannot reach the server. Your work is kept; we keep trying to reconnect.',
      expired: 'Your session has expired. Please sign in again.',
    },
    auth: {
      signIn: 'Sign in',
      register: 'Create account',
      email: 'Email',
      password: 'Password',
      displayName: 'Name (optional)',
      haveAccount: 'I already have an account',
      noAccount: 'Create an account',
      working: 'Please wait…',
    },
    common: { loading: 'Loading…', retry: 'Try again', cancel: 'Cancel', save: 'Save', delete: 'Delete', close: 'Close', none: 'Nothing here yet.' },
    errors: {
      NETWORK: 'Cannot reach the server.',
      UNAUTHENTICATED: 'Please sign in.',
      FORBIDDEN: 'You are not allowed to do that.',
      NOT_FOUND: 'Not found.',
      RATE_LIMITED: 'Too many attempts; wait a moment.',
      INSUFFICIENT_FUNDS: 'Not enough credits.',
    },
  },
  zh: {
    app: { name: '知识助手', skip: '跳到正文' },
    nav: { chat: '对话', knowledgeBases: '知识库', wallet: '钱包', audit: '审计', signOut: '退出登录', menu: '主菜单' },
    settings: { language: '语言', theme: '主题', light: '浅色', dark: '深色', system: '跟随系统' },
    connection: {
      unreachable: '无法连接服务器。您的内容已保留，正在尝试重新连接。',
      expired: '登录已过期，请重新登录。',
    },
    auth: {
      signIn: '登录',
      register: '注册账号',
      email: '邮箱',
      password: '密码',
      displayName: '名称（可选）',
      haveAccount: '我已有账号',
      noAccount: '注册新账号',
      working: '请稍候…',
    },
    common: { loading: '加载中…', retry: '重试', cancel: '取消', save: '保存', delete: '删除', close: '关闭', none: '暂无内容。' },
    errors: {
      NETWORK: '无法连接服务器。',
      UNAUTHENTICATED: '请先登录。',
      FORBIDDEN: '您无权执行此操作。',
      NOT_FOUND: '未找到。',
      RATE_LIMITED: '尝试次数过多，请稍后再试。',
      INSUFFICIENT_FUNDS: '余额不足。',
    },
  },
} as const;
