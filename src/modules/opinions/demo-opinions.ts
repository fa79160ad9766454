/**
 * The demo site's solicitations, relative to when the demo is seeded: one open for a month more (the
 * demo citizen can comment), one closed a month ago with its feedback report published. Both are
 * 西湖区民政局's, whose writer (demo.publisher) runs them. The closed one's opinions are recorded ones
 * (as a department types in letters), so no demo account is needed for them.
 */
import type { Adoption } from './opinion.ts';

const DAY = 86_400_000;

export interface DemoSolicitation {
  department: string;
  title: string;
  description: string;
  draftText: string;
  opensAt: string;
  closesAt: string;
  opinions: { writer: string; clause: string; body: string; adoption?: Adoption; reason?: string }[];
  report?: string;
}

export function DEMO_SOLICITATIONS(now: Date): DemoSolicitation[] {
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  return [
    {
      department: '西湖区民政局',
      title: '《西湖区居家养老服务补贴实施办法（征求意见稿）》公开征求意见',
      description:
        '为规范居家养老服务补贴的申请、审核和发放，区民政局起草了本办法（征求意见稿），现向社会公开征求意见。请在征集期内登录后提交意见，并注明所涉条款。',
      draftText: [
        '西湖区居家养老服务补贴实施办法（征求意见稿）',
        '第一条 为完善居家养老服务体系，保障困难老年人基本养老服务需求，制定本办法。',
        '第二条 本办法适用于户籍在本区、居住在本区的六十周岁以上困难老年人。',
        '第三条 补贴标准为每人每月三百元至八百元，按照老年人能力评估等级确定。',
        '第四条 申请人向户籍所在地街道提出申请，街道在十个工作日内完成审核并公示。',
        '第五条 本办法自发布之日起施行。',
      ].join('\n'),
      opensAt: at(-10),
      closesAt: at(20),
      opinions: [],
    },
    {
      department: '西湖区民政局',
      title: '《西湖区临时救助实施细则（修订征求意见稿）》公开征求意见',
      description: '区民政局就临时救助实施细则的修订公开征求意见，征集已结束，现公布意见采纳情况。',
      draftText: [
        '西湖区临时救助实施细则（修订征求意见稿）',
        '第一条 临时救助对象包括急难型和支出型困难家庭或个人。',
        '第二条 救助金额一般不超过当地月最低生活保障标准的六倍。',
        '第三条 急难型救助可先行救助，事后补充说明情况。',
      ].join('\n'),
      opensAt: at(-65),
      closesAt: at(-30),
      opinions: [
        {
          writer: '李明',
          clause: '第三条',
          body: '建议明确先行救助后补充材料的期限，避免群众反复跑腿。',
          adoption: 'adopted',
          reason: '已在第三条中增加“五个工作日内补充说明情况”的规定。',
        },
        {
          writer: '王芳',
          clause: '第二条',
          body: '建议将救助金额上限提高到最低生活保障标准的十二倍。',
          adoption: 'partly',
          reason: '对重大疾病等特殊情形提高至十二倍，一般情形维持六倍。',
        },
        {
          writer: '陈建国',
          clause: '',
          body: '建议取消户籍限制，外地来杭人员也可申请。',
          adoption: 'not_adopted',
          reason: '按照省有关规定，非本地户籍人员由流入地按急难型救助办理，已在第一条中衔接，不另作规定。',
        },
      ],
      report: '征求意见期间共收到有效意见3条，采纳1条，部分采纳1条，未采纳1条。感谢社会各界的关心和支持。',
    },
  ];
}
