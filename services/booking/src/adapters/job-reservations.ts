import { z } from 'zod';
import type { Actor, Invoker } from '@sitter/ports';
import { AppIds } from '@sitter/contracts';
import { describe, type Logger } from '@sitter/platform';
import type { JobReservations, Reservation } from '../domain';
import { callerHeaders } from './caller-headers';
import { errorFromResponse, reach } from './remote-errors';

const reservationBody = z.object({
  application: z.object({ nanny: z.string().min(1) }),
  otherPendingApplicationIds: z.array(z.string()),
});

const reservationPath = (jobId: string) => `/jobs/${encodeURIComponent(jobId)}/reservations`;

/** Reserves through the job service's `/jobs/:id/reservations` routes, as the caller. */
export class JobServiceReservations implements JobReservations {
  constructor(
    private readonly invoker: Invoker,
    private readonly logger: Logger,
  ) {}

  async reserve(actor: Actor, jobId: string, applicationId: string): Promise<Reservation> {
    const response = await reach(AppIds.job, () =>
      this.invoker.invoke(AppIds.job, {
        method: 'POST',
        path: reservationPath(jobId),
        body: { applicationId },
        headers: callerHeaders(actor),
      }),
    );
    if (response.status !== 200) throw errorFromResponse(AppIds.job, 'POST /jobs/:id/reservations', response);
    const parsed = reservationBody.safeParse(response.body);
    if (!parsed.success) throw new Error('the job service answered a reservation in an unexpected shape');
    const body = parsed.data;
    return { nanny: body.application.nanny, otherPendingApplicationIds: body.otherPendingApplicationIds };
  }

  async release(actor: Actor, jobId: string, applicationId: string): Promise<void> {
    const context = { jobId, applicationId };
    try {
      const response = await reach(AppIds.job, () =>
        this.invoker.invoke(AppIds.job, {
          method: 'DELETE',
          path: `${reservationPath(jobId)}/${encodeURIComponent(applicationId)}`,
          headers: callerHeaders(actor),
        }),
      );
      if (response.status !== 200) throw errorFromResponse(AppIds.job, 'DELETE /jobs/:id/reservations', response);
      this.logger.info('reservation released after a failed booking', context);
    } catch (error) {
      // The job stays closed without a booking until someone releases it by hand.
      this.logger.error('could not release a reservation after a failed booking', {
        ...context,
        error: describe(error).message,
      });
    }
  }
}
