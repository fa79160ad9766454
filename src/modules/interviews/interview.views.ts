/** Interviews, entries and questions as the API and the live stream present them (TypeBox schemas). */
import { Type, type TSchema } from 'typebox';
import { Nullable } from '../../kernel/http/index.ts';
import type { Entry, Interview, Question } from './interview.store.ts';

/** An object or null (Nullable is for primitives only). */
const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Status = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('ended'),
  Type.Literal('archived'),
]);

export const GuestSchema = Type.Object({
  name: Type.String(),
  title: Type.String(),
  department: Type.String(),
});

export const InterviewSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String({ description: 'plain text' }),
  hostName: Type.String({ description: '主持人' }),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  guests: Type.Array(GuestSchema),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  status: Status,
  cover: Nullable(Type.String({ description: 'the cover image URL' })),
  coverAlt: Nullable(Type.String({ description: "the cover's description (its alt text)" })),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  archivedAt: Nullable(Type.String({ format: 'date-time' })),
  lastEntry: Type.Integer({ description: 'the number of the latest transcript entry (0: none yet)' }),
  live: Type.String({ description: 'the text/event-stream of the transcript (SSE)' }),
});

/** The cover's URL names its bytes, so a replaced cover is a new URL and the old one may be cached for long. */
export const coverUrl = (i: Interview) =>
  i.cover ? `/interviews/${i.id}/cover?v=${i.cover.digest.slice(0, 16)}` : null;

export const interviewView = (i: Interview) => ({
  id: i.id,
  title: i.title,
  summary: i.summary,
  hostName: i.hostName,
  department: { id: i.department.id, name: i.department.name },
  guests: i.guests.map((g) => ({ name: g.name, title: g.title, department: g.department })),
  startsAt: i.startsAt,
  endsAt: i.endsAt,
  status: i.status,
  cover: coverUrl(i),
  coverAlt: i.cover?.alt ?? null,
  startedAt: i.startedAt,
  endedAt: i.endedAt,
  archivedAt: i.archivedAt,
  lastEntry: i.lastSeq,
  live: `/interviews/${i.id}/live`,
});

export const EntrySchema = Type.Object({
  seq: Type.Integer({ description: "the entry's number in the interview: the live stream's event id" }),
  kind: Type.Union([
    Type.Literal('status'),
    Type.Literal('remark'),
    Type.Literal('question'),
    Type.Literal('answer'),
    Type.Literal('image'),
    Type.Literal('withdrawal'),
  ]),
  at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('live'), Type.Literal('ended'), Type.Literal('archived'), Type.Null()]),
  speaker: OrNull(
    Type.Object({
      role: Type.Union([Type.Literal('host'), Type.Literal('guest'), Type.Literal('public')]),
      name: Type.String({ description: "a question's asker is masked (张**)" }),
      title: Type.String(),
    }),
  ),
  text: Type.String({ description: "plain text; an image's description" }),
  questionId: Nullable(Type.Integer()),
  quote: OrNull(
    Type.Object({ name: Type.String(), text: Type.String() }, { description: 'the question answered' }),
  ),
  image: OrNull(Type.Object({ url: Type.String(), mediaType: Type.String() })),
  withdrawn: Type.Boolean({
    description: '撤回: withdrawn by the host; shown as "此条已撤回", its speaker, text and image gone',
  }),
  withdraws: Nullable(
    Type.Integer({
      description:
        "a 'withdrawal' entry: the number of the entry it withdraws (the live stream sends it as event `withdrawal`)",
    }),
  ),
});

export const entryView = (interviewId: number, e: Entry) =>
  e.withdrawn
    ? {
        seq: e.seq,
        kind: e.kind,
        at: e.postedAt,
        status: e.status,
        speaker: null,
        text: '',
        questionId: null,
        quote: null,
        image: null,
        withdrawn: true,
        withdraws: null,
      }
    : {
        seq: e.seq,
        kind: e.kind,
        at: e.postedAt,
        status: e.status,
        speaker: e.speaker,
        text: e.text,
        questionId: e.questionId,
        quote: e.quote,
        image: e.image
          ? { url: `/interviews/${interviewId}/images/${e.seq}`, mediaType: e.image.mediaType }
          : null,
        withdrawn: false,
        withdraws: e.withdraws,
      };

export const QuestionSchema = Type.Object({
  id: Type.Integer(),
  asker: Type.String({ description: "for staff the asker's name; for the asker themselves, their own" }),
  text: Type.String(),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('pending'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('closed'),
  ]),
  askedAt: Type.String({ format: 'date-time' }),
  reason: Nullable(Type.String()),
  shownAs: Nullable(Type.Integer({ description: 'the transcript entry showing it' })),
  answeredIn: Nullable(Type.Integer({ description: 'the transcript entry answering it' })),
});

export const questionView = (q: Question) => ({
  id: q.id,
  asker: q.asker.name,
  text: q.text,
  status: q.status,
  askedAt: q.askedAt,
  reason: q.reason,
  shownAs: q.shownSeq,
  answeredIn: q.answeredSeq,
});
