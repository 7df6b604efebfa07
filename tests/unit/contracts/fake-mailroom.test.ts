import { describeMailroomUnitOfWorkContract } from '../../contracts/platform/mailroom-unit-of-work.ts';
import { FakeNotificationUnitOfWork } from '../../fakes/fake-notification-unit-of-work.ts';

describe('the fake notification unit of work', () => {
  describeMailroomUnitOfWorkContract(async () => {
    const unitOfWork = new FakeNotificationUnitOfWork();
    return { unitOfWork, sent: async () => [...unitOfWork.sent], end: async () => undefined };
  });
});
