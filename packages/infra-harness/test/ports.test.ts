import { portAllocator } from '../src/processes';

describe('handing out free ports', () => {
  it('when the kernel offers a port it offered before, then the allocator asks again instead of handing it out twice', async () => {
    // Arrange: a probe that offers 5001 twice, as the kernel may once the port is released.
    const offers = [5001, 5001, 5002];
    const allocate = portAllocator(async () => offers.shift() ?? 0);

    // Act
    const ports = [await allocate(), await allocate()];

    // Assert
    expect(ports).toEqual([5001, 5002]);
    expect(offers).toEqual([]);
  });
});
