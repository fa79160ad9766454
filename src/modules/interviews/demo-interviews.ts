/**
 * The demo site's interviews, relative to when the demo is seeded: one held two weeks ago and archived,
 * with its whole transcript (文字实录) — the host's remarks, questions asked and approved, the guests'
 * answers — and one announced for next week (预告), taking questions. Both are 西湖区民政局's, on
 * 居家养老服务补贴; demo.host (孔主持) runs them and demo.guest (曹局长) is the guest who answers.
 * The archived one's questions were typed in by the host for the record (no asker accounts), so no
 * demo account finds them under 我的提问.
 */
import { DEMO_STAFF } from '../identity/index.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The staff account that answers as the first guest (demo.guest), by its display name. */
export const DEMO_GUEST_NAME = DEMO_STAFF.find((s) => s.username === 'demo.guest')!.displayName;
const DEMO_HOST_NAME = DEMO_STAFF.find((s) => s.username === 'demo.host')!.displayName;

/** Who speaks in a demo entry: the host, or the guest at this position (0-based). */
export type DemoSpeaker = 'host' | number;

export type DemoEntry =
  | { minute: number; kind: 'remark'; speaker: DemoSpeaker; text: string }
  | {
      minute: number;
      kind: 'question';
      asker: string;
      text: string;
      answer: { minute: number; speaker: DemoSpeaker; text: string };
    };

export interface DemoInterview {
  department: string;
  title: string;
  summary: string;
  hostName: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'archived';
  /** accountName: the guest account (interview_guest) answering as this guest, by display name */
  guests: { name: string; title: string; department: string; accountName: string | null }[];
  transcript: DemoEntry[];
}

/** 10:00 Beijing time (02:00 UTC), `days` from `now`. */
function tenOClock(now: Date, days: number): Date {
  const d = new Date(now.getTime() + days * DAY);
  d.setUTCHours(2, 0, 0, 0);
  return d;
}

export function DEMO_INTERVIEWS(now: Date): DemoInterview[] {
  const past = tenOClock(now, -14);
  const next = tenOClock(now, 7);
  const guests = [
    { name: DEMO_GUEST_NAME, title: '局长', department: '西湖区民政局', accountName: DEMO_GUEST_NAME },
    { name: '林晓红', title: '养老服务科科长', department: '西湖区民政局', accountName: null },
  ];
  return [
    {
      department: '西湖区民政局',
      title: '居家养老服务补贴政策解读在线访谈',
      summary:
        '《西湖区居家养老服务补贴实施办法》施行在即。区民政局负责同志做客在线访谈，解读补贴对象、标准和申请流程，回答网友关心的问题。',
      hostName: DEMO_HOST_NAME,
      startsAt: past,
      endsAt: new Date(past.getTime() + 60 * MINUTE),
      status: 'archived',
      guests,
      transcript: [
        {
          minute: 0,
          kind: 'remark',
          speaker: 'host',
          text: '各位网友，大家好！欢迎收看本期在线访谈。今天我们邀请到西湖区民政局曹局长和养老服务科林科长，为大家解读居家养老服务补贴政策。',
        },
        {
          minute: 2,
          kind: 'remark',
          speaker: 0,
          text: '各位网友好！居家养老服务补贴是为了让困难老年人在家里就能享受到助餐、助洁、助浴、助医等服务。办法明确了补贴对象、标准和申请流程，欢迎大家提问。',
        },
        {
          minute: 6,
          kind: 'question',
          asker: '王建华',
          text: '我父亲今年78岁，户籍在西湖区，但现在跟我住在上城区，能申请补贴吗？',
          answer: {
            minute: 8,
            speaker: 1,
            text: '补贴对象须户籍和居住地都在本区。您父亲目前居住在上城区，暂不符合条件；如果今后回西湖区居住，可以向户籍所在地街道提出申请。',
          },
        },
        {
          minute: 13,
          kind: 'question',
          asker: '李秀英',
          text: '补贴标准是多少？是直接发钱吗？',
          answer: {
            minute: 15,
            speaker: 0,
            text: '补贴标准为每人每月三百元至八百元，按照老年人能力评估等级确定。补贴以服务券的形式发放到养老服务“爱心卡”，用于购买居家养老服务，不直接发放现金。',
          },
        },
        {
          minute: 24,
          kind: 'question',
          asker: '陈志刚',
          text: '申请需要准备哪些材料？审核要多长时间？',
          answer: {
            minute: 26,
            speaker: 1,
            text: '申请人向户籍所在地街道提出申请，提供身份证和户口簿即可，家庭经济状况由部门共享核对，不需要另开证明。街道在十个工作日内完成审核并公示。',
          },
        },
        {
          minute: 38,
          kind: 'question',
          asker: '赵敏',
          text: '老人行动不便，子女可以代为申请吗？',
          answer: {
            minute: 40,
            speaker: 0,
            text: '可以。子女或其他监护人可以持老人和本人的身份证代为申请，也可以请社区工作人员上门帮办。',
          },
        },
        {
          minute: 57,
          kind: 'remark',
          speaker: 'host',
          text: '由于时间关系，本期访谈到此结束。网友的其他问题，我们将转交区民政局研究答复。感谢曹局长、林科长，感谢各位网友的参与！',
        },
      ],
    },
    {
      department: '西湖区民政局',
      title: '老年助餐服务提质扩面在线访谈',
      summary:
        '西湖区将新增一批社区老年食堂和助餐点。区民政局负责同志将做客在线访谈，介绍助餐点布局、用餐补贴和送餐上门服务。欢迎网友提前提问。',
      hostName: DEMO_HOST_NAME,
      startsAt: next,
      endsAt: new Date(next.getTime() + 90 * MINUTE),
      status: 'scheduled',
      guests,
      transcript: [],
    },
  ];
}
