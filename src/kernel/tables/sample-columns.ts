/** A column spec shaped like a government service item catalogue, for the tests of this module. */
import { defineColumns } from './columns.ts';

export const SERVICE_ITEM_COLUMNS = defineColumns([
  {
    key: 'code',
    header: { 'zh-CN': '事项编码', en: 'Item code' },
    kind: 'text',
    maxLength: 20,
    halfWidth: true,
    required: true,
    unique: true,
  },
  {
    key: 'name',
    header: { 'zh-CN': '事项名称', en: 'Item name' },
    kind: 'text',
    maxLength: 20,
    required: true,
  },
  {
    key: 'type',
    header: { 'zh-CN': '事项类型', en: 'Item type' },
    kind: 'enum',
    required: true,
    options: [
      { code: 'permit', label: { 'zh-CN': '行政许可', en: 'Licence' } },
      { code: 'confirmation', label: { 'zh-CN': '行政确认', en: 'Confirmation' } },
      { code: 'public', label: { 'zh-CN': '公共服务', en: 'Public service' }, aliases: ['公共服务事项'] },
    ],
  },
  { key: 'timeLimit', header: { 'zh-CN': '承诺时限', en: 'Time limit' }, kind: 'integer', min: 1, max: 365 },
  {
    key: 'channels',
    header: { 'zh-CN': '办理渠道', en: 'Channels' },
    kind: 'list',
    maxItems: 2,
    options: [
      { code: 'counter', label: { 'zh-CN': '窗口办理', en: 'At the counter' } },
      { code: 'online', label: { 'zh-CN': '网上办理', en: 'Online' } },
      { code: 'post', label: { 'zh-CN': '邮寄', en: 'By post' } },
    ],
  },
  { key: 'materials', header: { 'zh-CN': '申请材料', en: 'Materials' }, kind: 'list', maxLength: 10 },
  { key: 'fee', header: { 'zh-CN': '是否收费', en: 'Charges a fee' }, kind: 'boolean' },
  { key: 'since', header: { 'zh-CN': '实施日期', en: 'In force since' }, kind: 'date' },
]);
