/**
 * Standard department types (部门类型). Keys are stable English words used in code and the API; the
 * Chinese and English names are in the locale files under org.department_type.<key>.
 */
export const DEPARTMENT_TYPES = [
  'general_office', // 办公厅（室）
  'development_reform', // 发展改革
  'finance', // 财政
  'taxation', // 税务
  'agriculture', // 农业农村
  'urban_management', // 城市管理
  'natural_resources', // 自然资源
  'housing', // 住房城乡建设
  'emergency', // 应急管理
  'market_regulation', // 市场监管
  'public_security', // 公安
  'civil_affairs', // 民政
  'human_resources', // 人力资源社会保障
  'health', // 卫生健康
  'education', // 教育
  'culture_tourism', // 文化旅游
  'transport', // 交通运输
  'water', // 水利
  'ecology_environment', // 生态环境
  'petitions', // 信访
  'government_services', // 政务服务管理
  'statistics', // 统计
  'justice', // 司法
  'audit', // 审计
  'big_data', // 大数据（数据资源）管理
  'street_office', // 乡镇人民政府、街道办事处
  'other', // 其他
] as const;

export type DepartmentType = (typeof DEPARTMENT_TYPES)[number];

export function isDepartmentType(v: string): v is DepartmentType {
  return (DEPARTMENT_TYPES as readonly string[]).includes(v);
}
